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
