/**
 * The AWS Config side of a handler test: a mocked ConfigServiceClient that accepts every
 * evaluation and holds no earlier results, readers for what a run sent, and quiet console spies
 * (the handlers log JSON lines) that tests can still inspect.
 */
import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';

export const configMock = mockClient(ConfigServiceClient);

/** Every evaluation sent with PutEvaluations, in order. */
export const sent = () => configMock.commandCalls(PutEvaluationsCommand).flatMap((c) => c.args[0].input.Evaluations ?? []);

/** The evaluations sent, by resource id. */
export const byResource = () => Object.fromEntries(sent().map((e) => [e.ComplianceResourceId, e]));

export interface QuietLogs {
  readonly info: jest.SpyInstance;
  readonly warn: jest.SpyInstance;
  readonly error: jest.SpyInstance;
}

/** Resets the Config mock to its accepting defaults and silences the console; call in beforeEach. */
export function resetConfigAndLogs(): QuietLogs {
  configMock.reset();
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
  return {
    info: jest.spyOn(console, 'info').mockImplementation(() => undefined),
    warn: jest.spyOn(console, 'warn').mockImplementation(() => undefined),
    error: jest.spyOn(console, 'error').mockImplementation(() => undefined),
  };
}
