// Maps the `@city/*` path aliases of tsconfig.base.json to Jest's moduleNameMapper,
// so the aliases are declared in one place only.
const path = require('path');
const { compilerOptions } = require('../tsconfig.base.json');

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

exports.pathsToModuleNameMapper = function pathsToModuleNameMapper() {
  const root = path.resolve(__dirname, '..');
  const mapper = {};
  for (const [alias, targets] of Object.entries(compilerOptions.paths)) {
    mapper[`^${escape(alias)}$`] = path.join(root, targets[0]);
  }
  return mapper;
};
