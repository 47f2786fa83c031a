export { default as departmentGenerator } from './generators/department/generator';
export type { DepartmentGeneratorOptions } from './generators/department/generator';
