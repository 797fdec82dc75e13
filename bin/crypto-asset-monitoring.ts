#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app';
import { SettingsError } from '../lib/settings';

const app = new App();
try {
  buildApp(app);
} catch (e) {
  if (e instanceof SettingsError) {
    // A clean message, not a stack trace: the user's fix is in cdk.json.
    console.error(e.message);
    process.exitCode = 1;
  } else {
    throw e;
  }
}
