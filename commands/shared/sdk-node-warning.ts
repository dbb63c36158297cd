/**
 * Imported first by every command and rig entry point (npm start, send, query, report, cost, bench, soak), before any AWS SDK
 * client exists.
 *
 * On Node.js 20 the AWS SDK for JavaScript v3 prints a 9-line NodeVersionSupportWarning before anything else: SDK
 * versions published after the first week of January 2027 will require Node.js 22. The versions package-lock.json
 * installs support Node.js 20, the project's floor (README "Node.js", package.json `engines`), so the warning says
 * nothing about this run, and it would bury a command's one-line output or error. This turns off that one warning
 * (the SDK's own switch) and nothing else; a value already set in the environment wins. Node.js 22 and later never
 * print it. The local Lambda runtime sets the same switch for the handlers (local-aws/pipeline/function-environment.ts),
 * and jest.config.js for the tests.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
