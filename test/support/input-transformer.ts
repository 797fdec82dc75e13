/**
 * Renders an EventBridge input transformer (InputPathsMap + a plain-text InputTemplate) for an
 * event, the way EventBridge fills a template that is not JSON: each <name> becomes the value at
 * its path, strings as they are, objects and arrays as JSON, absent paths as nothing.
 */

function resolve(event: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`Input path ${path} must start with $`);
  let node: unknown = event;
  for (const part of path.slice(1).match(/\.[A-Za-z0-9_-]+|\[\d+\]/g) ?? []) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1)];
  }
  return node;
}

export function renderInputTemplate(inputPathsMap: Record<string, string>, inputTemplate: string, event: unknown): string {
  return inputTemplate.replace(/<([A-Za-z0-9_-]+)>/g, (whole, name: string) => {
    if (!(name in inputPathsMap)) throw new Error(`Template placeholder ${whole} has no input path`);
    const value = resolve(event, inputPathsMap[name]);
    if (value === undefined) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}
