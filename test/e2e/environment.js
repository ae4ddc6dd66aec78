// Node test environment that remembers whether a test or hook failed, so the harness prints
// n8n's logs (and keeps its folder) exactly when something went wrong.
const { TestEnvironment } = require('jest-environment-node');

class E2eEnvironment extends TestEnvironment {
	async handleTestEvent(event) {
		if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
			this.global.__lipsyncE2eFailed = true;
		}
	}
}

module.exports = E2eEnvironment;
