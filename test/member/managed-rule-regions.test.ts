import { App, CfnCondition, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CUSTOM_RULES, MANAGED_RULES } from '../../lib/catalog';
import { regionNotIn } from '../../lib/member/managed-config-rules';
import { buildTestApp } from '../support/app';

type Json = any;

/**
 * CloudFormation's evaluation of a template's conditions for one Region: Fn::Equals, Fn::Or,
 * Fn::And, Fn::Not, Condition references and Ref of pseudo parameters. Anything else throws,
 * so a template that needs more cannot pass by accident.
 */
function conditionsFor(template: Json, pseudo: Record<string, string>): (name: string) => boolean {
  const conditions: Record<string, Json> = template.Conditions ?? {};
  const value = (v: Json): string => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && 'Ref' in v && v.Ref in pseudo) return pseudo[v.Ref];
    throw new Error(`cannot evaluate value ${JSON.stringify(v)}`);
  };
  const evaluate = (c: Json): boolean => {
    const [fn, args] = Object.entries(c)[0] as [string, Json];
    switch (fn) {
      case 'Fn::Equals':
        return value(args[0]) === value(args[1]);
      case 'Fn::Or':
        return args.some(evaluate);
      case 'Fn::And':
        return args.every(evaluate);
      case 'Fn::Not':
        return !evaluate(args[0]);
      case 'Condition':
        return byName(args);
      default:
        throw new Error(`cannot evaluate condition ${fn}`);
    }
  };
  const byName = (name: string): boolean => {
    if (!(name in conditions)) throw new Error(`no condition ${name}`);
    return evaluate(conditions[name]);
  };
  return byName;
}

/** The names of the Config rules CloudFormation creates from the template in a Region. */
function ruleNamesIn(template: Json, region: string): string[] {
  const holds = conditionsFor(template, { 'AWS::Region': region, 'AWS::AccountId': '111122223333', 'AWS::Partition': 'aws' });
  return Object.values(template.Resources as Record<string, Json>)
    .filter((r) => r.Type === 'AWS::Config::ConfigRule' && (r.Condition === undefined || holds(r.Condition)))
    .map((r) => r.Properties.ConfigRuleName);
}

/** Every Fn::Or in a JSON tree, with its operands. */
function ors(node: Json): Json[][] {
  if (Array.isArray(node)) return node.flatMap(ors);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === 'Fn::Or' ? [v as Json[], ...ors(v)] : ors(v)));
}

/** Every Fn::Equals in a JSON tree, with its two operands. */
function equalsIn(node: Json): Json[][] {
  if (Array.isArray(node)) return node.flatMap(equalsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === 'Fn::Equals' ? [v as Json[]] : equalsIn(v)));
}

const pascal = (key: string) => `${key.charAt(0).toUpperCase()}${key.slice(1)}`;
const restricted = MANAGED_RULES.filter((spec) => spec.unsupportedRegions.length > 0);
const everywhere = MANAGED_RULES.filter((spec) => spec.unsupportedRegions.length === 0);

describe('catalog: where the AWS managed rules are offered', () => {
  test.each(MANAGED_RULES.map((s) => [s.name, s]))('%s: Region codes and the page they come from', (_name, spec) => {
    for (const region of spec.unsupportedRegions) expect(region).toMatch(/^[a-z]{2}(-gov)?-[a-z]+-\d+$/);
    expect(new Set(spec.unsupportedRegions).size).toBe(spec.unsupportedRegions.length);
    expect(spec.regionSource).toBe(`https://docs.aws.amazon.com/config/latest/developerguide/${spec.name}.html`);
  });

  test('some rules are restricted (the newer Regions lack them); none is restricted in eu-west-1 or us-east-1', () => {
    expect(restricted.length).toBeGreaterThan(0);
    for (const spec of MANAGED_RULES) expect(spec.unsupportedRegions).not.toEqual(expect.arrayContaining(['eu-west-1']));
    for (const spec of MANAGED_RULES) expect(spec.unsupportedRegions).not.toEqual(expect.arrayContaining(['us-east-1']));
  });
});

describe('member template: managed rules only where AWS Config offers them', () => {
  // Every custom rule on (the Private CA and quantum-readiness rules are off by default).
  const { built } = buildTestApp({ rules: { acmPcaCertificateAuthority: { enabled: true }, cryptoQuantumReadiness: { enabled: true } } });
  const template = Template.fromStack(built.member.stack).toJSON();
  const ruleResource = (name: string) => Object.values(template.Resources as Record<string, Json>).find((r) => r.Properties?.ConfigRuleName === name);

  test.each(restricted.map((s) => [s.name, s]))('%s: skipped in each of its unsupported Regions, created in eu-west-1', (name, spec) => {
    for (const region of spec.unsupportedRegions) expect(ruleNamesIn(template, region)).not.toContain(name);
    expect(ruleNamesIn(template, 'eu-west-1')).toContain(name);
    expect(ruleNamesIn(template, 'us-east-1')).toContain(name);
  });

  test('every restricted rule carries its <Key>Supported condition, every other rule none', () => {
    for (const spec of restricted) {
      expect(ruleResource(spec.name).Condition).toBe(`${pascal(spec.key)}Supported`);
      expect(template.Conditions).toHaveProperty(`${pascal(spec.key)}Supported`);
    }
    for (const spec of everywhere) expect(ruleResource(spec.name).Condition).toBeUndefined();
    // Custom rules and their functions stay in every Region.
    for (const spec of CUSTOM_RULES) expect(ruleResource(spec.name).Condition).toBeUndefined();
    const conditioned = Object.values(template.Resources as Record<string, Json>).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Condition);
    expect(conditioned).toEqual([]);
  });

  test('in eu-west-1 every rule of the catalog is created; in ap-east-2 (Taipei) exactly the rules its pages leave out are missing', () => {
    const all = [...CUSTOM_RULES, ...MANAGED_RULES].map((s) => s.name).sort();
    expect(ruleNamesIn(template, 'eu-west-1').sort()).toEqual(all);
    const missingInTaipei = MANAGED_RULES.filter((s) => s.unsupportedRegions.includes('ap-east-2')).map((s) => s.name);
    expect(missingInTaipei.length).toBeGreaterThan(0);
    expect(ruleNamesIn(template, 'ap-east-2').sort()).toEqual(all.filter((n) => !missingInTaipei.includes(n)));
  });

  test('no Fn::Or has fewer than 2 or more than 10 operands, and conditions read AWS::Region, never a literal Region', () => {
    for (const operands of ors(template.Conditions ?? {})) {
      expect(operands.length).toBeGreaterThanOrEqual(2);
      expect(operands.length).toBeLessThanOrEqual(10);
    }
    for (const spec of restricted) {
      const equals = equalsIn(template.Conditions[`${pascal(spec.key)}Supported`]);
      expect(equals.map(([left]) => left)).toEqual(spec.unsupportedRegions.map(() => ({ Ref: 'AWS::Region' })));
      expect(equals.map(([, right]) => right)).toEqual([...spec.unsupportedRegions]);
    }
  });

  test('nothing unconditional refers to a conditional rule', () => {
    const conditional = Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Condition).map(([id]) => id);
    const unconditional = Object.values(template.Resources as Record<string, Json>).filter((r) => !r.Condition);
    const text = JSON.stringify([unconditional, template.Outputs ?? {}]);
    for (const id of conditional) {
      expect(text).not.toContain(`{"Ref":"${id}"}`);
      expect(text).not.toContain(`"Fn::GetAtt":["${id}"`);
    }
  });
});

describe('regionNotIn: long Region lists are nested, never an Fn::Or of more than 10', () => {
  const regions = Array.from({ length: 23 }, (_, i) => `xx-test-${i + 1}`);
  const stack = new Stack(new App(), 'ConditionOnly');
  new CfnCondition(stack, 'Supported', { expression: regionNotIn(regions) }).overrideLogicalId('Supported');
  const template = Template.fromStack(stack).toJSON();

  test('every operand count is between 2 and 10', () => {
    const found = ors(template.Conditions);
    expect(found.length).toBeGreaterThan(1);
    for (const operands of found) {
      expect(operands.length).toBeGreaterThanOrEqual(2);
      expect(operands.length).toBeLessThanOrEqual(10);
    }
  });

  test('false in each listed Region, true elsewhere', () => {
    for (const region of regions) expect(conditionsFor(template, { 'AWS::Region': region })('Supported')).toBe(false);
    expect(conditionsFor(template, { 'AWS::Region': 'eu-west-1' })('Supported')).toBe(true);
  });

  test('one Region: Fn::Not of a single Fn::Equals, no Fn::Or', () => {
    const one = new Stack(new App(), 'One');
    new CfnCondition(one, 'Supported', { expression: regionNotIn(['xx-test-1']) }).overrideLogicalId('Supported');
    const conditions = Template.fromStack(one).toJSON().Conditions;
    expect(conditions.Supported).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'xx-test-1'] }] });
  });

  test('no Region at all is refused', () => {
    expect(() => regionNotIn([])).toThrow(/at least one Region/);
  });
});
