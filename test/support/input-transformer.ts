/**
 * Renders an EventBridge input transformer (InputPathsMap + a plain-text InputTemplate) for an
 * event, the way EventBridge fills a template that is not JSON: each <name> becomes the value at
 * its path, strings as they are, objects and arrays as JSON, absent paths as nothing.
 */
import { MISSING, resolvePath } from './json-path';

export function renderInputTemplate(inputPathsMap: Record<string, string>, inputTemplate: string, event: unknown): string {
  return inputTemplate.replace(/<([A-Za-z0-9_-]+)>/g, (whole, name: string) => {
    if (!(name in inputPathsMap)) throw new Error(`Template placeholder ${whole} has no input path`);
    const path = inputPathsMap[name];
    if (!path.startsWith('$')) throw new Error(`Input path ${path} must start with $`);
    const value = resolvePath(event, path);
    if (value === MISSING) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}
