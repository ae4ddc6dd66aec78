/** Unit, engine and node tests (fast; real HTTP against the in-process sandbox). The real-n8n
 * end-to-end suite has its own config (test/e2e/jest.config.js) because it is slow and serial. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/n8n/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.jest.json' }],
	},
	testTimeout: 30000,
};
