/** Fixture loading and template lookups the alerting tests share. */
import * as fs from 'fs';
import * as path from 'path';
import type { Template } from 'aws-cdk-lib/assertions';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

export function cloudTrailRecord(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'cloudtrail', `${name}.json`), 'utf8'));
}

export function eventSample(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'events', `${name}.json`), 'utf8'));
}

export function eventSampleNames(): string[] {
  return fs
    .readdirSync(path.join(FIXTURES, 'events'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/** Resources of one type, keyed by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, any>; Condition?: string }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, any>; Condition?: string }>;
}
