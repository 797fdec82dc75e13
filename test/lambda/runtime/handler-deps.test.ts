/** What a deployed handler gives the runtime: the pass limit from its evaluation period, and a continuation through Lambda. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { handlerDeps, passLimitMs } from '../../../lambda/runtime/handler-deps';

const lambdaMock = mockClient(LambdaClient);
const ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:crypto-monitoring-kms-unused-key-check';
const context = { getRemainingTimeInMillis: () => 900_000, invokedFunctionArn: ARN };
const send = (client: any, command: any) => client.send(command);

beforeEach(() => lambdaMock.reset());

test.each([
  ['One_Hour', 1],
  ['Three_Hours', 3],
  ['Six_Hours', 6],
  ['Twelve_Hours', 12],
  ['TwentyFour_Hours', 24],
])('%s: a pass may take %i hour(s)', (frequency, hours) => {
  expect(passLimitMs(frequency)).toBe(hours * 3_600_000);
});

test.each([undefined, '', 'Daily'])('EVALUATION_FREQUENCY %p is refused, naming what is allowed', (frequency) => {
  expect(() => passLimitMs(frequency)).toThrow(/EVALUATION_FREQUENCY is .*; must be one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours/);
});

describe('the continuation', () => {
  const env = process.env.EVALUATION_FREQUENCY;
  beforeAll(() => (process.env.EVALUATION_FREQUENCY = 'TwentyFour_Hours'));
  afterAll(() => (process.env.EVALUATION_FREQUENCY = env));
  const deps = () => handlerDeps({ config: new ConfigServiceClient({}), lambda: new LambdaClient({}) }, context);

  test('is an asynchronous invocation of this same function, carrying the event', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });
    const event = { configRuleName: 'kms-unused-key-check', continuation: { invocation: 2 } };
    await deps().continueWith!(event, send);
    const input = lambdaMock.commandCalls(InvokeCommand)[0].args[0].input;
    expect(input).toMatchObject({ FunctionName: ARN, InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual(event);
  });

  test('an answer other than 202 (queued) is a failure, not a silent stop', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200 });
    await expect(deps().continueWith!({}, send)).rejects.toThrow('Invoke answered status 200, not 202 (queued)');
  });

  test('the pass limit is the evaluation period', () => {
    expect((deps().passLimitMs as () => number)()).toBe(24 * 3_600_000);
  });
});
