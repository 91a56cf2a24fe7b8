import t from 'tap'
import { parseSearch, printSearch } from '../../../shared/list/search-parser.ts'

const syntaxError = (message: RegExp) => ({
  code: 'GW_ERR_VALIDATION',
  status: 400,
  errors: [{ field: 'query.search', constraint: 'syntax', message }]
})

t.test('operators, precedence and canonical form', async t => {
  const cases: Array<[string, string]> = [
    ["name = 'a'", "name = 'a'"],
    ["name like 'prod-%'", "name like 'prod-%'"],
    ["platform IN ('AWS','Agent')", "platform in ('AWS', 'Agent')"],
    ["phase <> 'Ready'", "phase != 'Ready'"],
    ["labels.env = 'prod' and conditions.Available = 'True' or name = 'x'", "((labels.env = 'prod' and conditions.Available = 'True') or name = 'x')"],
    ["name = 'x' or labels.env = 'prod' and conditions.Available = 'True'", "(name = 'x' or (labels.env = 'prod' and conditions.Available = 'True'))"],
    ["not (a = '1' or b = '2') and c >= 3", "(not (a = '1' or b = '2') and c >= '3')"],
    ["name not like 'x%' and name not ilike 'Y%' and platform not in ('None')", "((name not like 'x%' and name not ilike 'Y%') and platform not in ('None'))"],
    ['deletionTimestamp is not null or pausedUntil IS NULL', '(deletionTimestamp is not null or pausedUntil is null)'],
    ["name = 'it''s'", "name = 'it''s'"],
    ["labels.app.kubernetes.io/name = 'x' and n < -1.5 and m <= 2 and o > 'a'", "(((labels.app.kubernetes.io/name = 'x' and n < '-1.5') and m <= '2') and o > 'a')"]
  ]
  for (const [input, canonical] of cases) t.equal(printSearch(parseSearch(input)), canonical, input)
  t.same(parseSearch("  name   =   'a'  "), { kind: 'compare', field: 'name', pos: 2, op: '=', value: 'a' })
})

t.test('errors say where and what was expected', async t => {
  const cases: Array<[string, RegExp]> = [
    ['', /expected a search expression at position 0, found an empty string/],
    ["name = 'a", /expected a closing quote for the string at position 7, found end of input/],
    ['name = ', /expected a quoted string or a number at position 7, found end of input/],
    ["name 'a'", /expected an operator .* at position 5, found 'a'/],
    ["name = 'a' and", /expected a field name at position 14, found end of input/],
    ["name = 'a' name = 'b'", /expected 'and', 'or' or the end of the expression at position 11, found 'name'/],
    ["(name = 'a'", /expected '\)' at position 11, found end of input/],
    ["name in 'a'", /expected '\(' to start the list at position 8, found 'a'/],
    ["name in ('a' 'b')", /expected ',' or '\)' at position 13, found 'b'/],
    ["name not = 'a'", /expected 'like', 'ilike' or 'in' after 'not' at position 9/],
    ['name is banana', /expected 'null' at position 8, found 'banana'/],
    ["name = 'a' ; drop", /expected a field, value, operator or parenthesis at position 11, found ';'/],
    ["and = 'a'", /expected a field name at position 0, found 'and'/],
    ['name = other', /expected a quoted string or a number at position 7, found 'other'/]
  ]
  for (const [input, message] of cases) t.throws(() => parseSearch(input), syntaxError(message), input)
})
