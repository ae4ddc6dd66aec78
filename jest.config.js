/** Unit, engine and node tests (fast; real HTTP against the in-process sandbox). The real-n8n
 * end-to-end suite has its own config (test/e2e/jest.config.js) because it is slow and serial.
 *
 * maxWorkers: the node tests mostly wait on sandbox jobs and loopback HTTP, not on the CPU, so
 * three test files at a time finish sooner even on a 2-core machine (jest's default there is one).
 * No test here may depend on wall-clock speed: timing is tested on the virtual clock
 * (test/engine/fakes.ts FakeClock), real-time bounds live in test/e2e and bench/. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/n8n/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.jest.json' }],
	},
	maxWorkers: 3,
	testTimeout: 30000,
};
