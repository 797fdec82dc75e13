/**
 * Test apps built with the same context the CLI passes from cdk.json (feature flags included),
 * plus per-test settings overrides, each in its own temporary output directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildApp, type CryptoMonitoringApp } from '../../lib/app';

const CDK_JSON = path.join(__dirname, '..', '..', 'cdk.json');

export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(CDK_JSON, 'utf8')).context;
}

/** Deep-merges `overrides` into the cryptoMonitoring settings of cdk.json. */
export function contextWith(overrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const ctx = cdkJsonContext();
  const merge = (a: any, b: any): any => {
    if (typeof a !== 'object' || a === null || Array.isArray(a) || typeof b !== 'object' || b === null || Array.isArray(b)) return b;
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in a ? merge(a[k], v) : v;
    return out;
  };
  return { ...ctx, cryptoMonitoring: merge(ctx.cryptoMonitoring ?? {}, overrides), ...extra };
}

export function testApp(overrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cam-test-')), context: contextWith(overrides, extra) });
}

/** Builds the whole app and synthesizes it (which runs cdk-nag: findings throw). */
export function buildTestApp(overrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): { app: App; built: CryptoMonitoringApp } {
  const app = testApp(overrides, extra);
  const built = buildApp(app);
  return { app, built };
}
