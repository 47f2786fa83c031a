// Prints the closing line of a test run as "N passed, N failed, N skipped".
const results = require(require('path').resolve(process.argv[2]));
console.log(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`);
if (results.numRuntimeErrorTestSuites > 0) console.log(`${results.numRuntimeErrorTestSuites} test file(s) failed to run`);
