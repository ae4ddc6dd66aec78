/** The real-n8n end-to-end suite: slow, serial (one n8n at a time on small machines). Run with
 * `npx jest -c test/e2e/jest.config.js` after `source scripts/toolchain.sh` (Node 24). */
module.exports = {
	rootDir: '../..',
	testEnvironment: '<rootDir>/test/e2e/environment.js',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.jest.json' }],
	},
	maxWorkers: 1,
	testTimeout: 10 * 60_000,
	slowTestThreshold: 120,
};
