import * as path from 'path';
import { CUSTOM_RULES } from '../../lib/catalog';
import { REPO_ROOT } from '../../lib/bundle';

// Handlers cannot import lib/ (they must bundle small), so they carry their rule name and resource
// type themselves; this keeps them equal to the catalog, the single source of both.
describe.each(CUSTOM_RULES.map((spec) => [spec.name, spec] as const))('%s', (_name, spec) => {
  const handler = require(path.join(REPO_ROOT, spec.handlerEntry));

  test('the handler names the rule and resource type the catalog does', () => {
    expect(handler.RULE_NAME).toBe(spec.name);
    expect(handler.RESOURCE_TYPE).toBe(spec.resourceType);
  });

  test('the handler reads exactly the parameters the catalog passes', () => {
    const params = spec.parameters(require('../../lib/settings').parseSettings({}));
    expect(Object.keys(handler.parseParameters(params)).sort()).toEqual(Object.keys(params).sort());
    expect(typeof handler.handler).toBe('function');
  });
});

// A rule that reports on several resource types lists them all; its handler names the same ones.
describe.each(CUSTOM_RULES.filter((spec) => spec.resourceTypes !== undefined).map((spec) => [spec.name, spec] as const))('%s: several resource types', (_name, spec) => {
  test('the handler reports the resource types the catalog lists, the first of them as resourceType', () => {
    const handler = require(path.join(REPO_ROOT, spec.handlerEntry));
    expect(handler.RESOURCE_TYPES).toEqual(spec.resourceTypes);
    expect(spec.resourceType).toBe(spec.resourceTypes![0]);
  });
});
