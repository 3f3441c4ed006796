// DIST: one build folder per bundler, so that the webpack and the Turbopack builds do not mix.
export default { distDir: process.env.DIST ?? '.next' };
