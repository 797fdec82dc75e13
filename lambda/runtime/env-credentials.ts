/**
 * Lambda gives a function its role's credentials in environment variables, so a handler that
 * bundles an SDK client needs only the environment credential provider. The bundler puts this
 * module in place of the SDK's default provider chain (SSO, INI files, IMDS, STS and more),
 * which would otherwise more than double the bundle.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
