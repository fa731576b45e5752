// Mocha root setup: quiet logs (errors only) unless TABSYNTH_LOG_LEVEL asks for more. It sets
// the variable the logger reads at creation; importing the logger here would load a second
// copy of it (this file is loaded as CommonJS, the tests as ES modules).
process.env.TABSYNTH_LOG_LEVEL ??= 'error';

export const mochaHooks = {};
