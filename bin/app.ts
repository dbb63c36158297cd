#!/usr/bin/env node
import { CtrLakeConfigError } from '../lib/config/context-values';
import { createCtrLakeApp } from '../lib/ctr-lake-app';

// `cdk synth` / `cdk deploy` run this file (cdk.json "app"); the App synthesizes itself when the process exits.
try {
  createCtrLakeApp();
} catch (error) {
  if (error instanceof CtrLakeConfigError) {
    // A configuration mistake: say which keys are wrong and how to fix them, without a stack trace.
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
