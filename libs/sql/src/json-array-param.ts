/**
 * SQL that turns a parameter holding a JSON array into a PostgreSQL array of `element`, in the
 * JSON's order. For long strings (documents, ciphertexts) this is cheaper than an array parameter:
 * node-postgres escapes each element of an array parameter character by character into an array
 * literal, while `JSON.stringify` of the list (or a join of documents already in JSON) is one pass.
 */
export function arrayFromJsonParam(param: string, element: 'jsonb' | 'text'): string {
  const elements = element === 'jsonb' ? 'jsonb_array_elements' : 'jsonb_array_elements_text';
  return `ARRAY(SELECT e FROM ${elements}(${param}::jsonb) WITH ORDINALITY AS a(e, n) ORDER BY n)`;
}
