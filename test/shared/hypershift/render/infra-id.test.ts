import t from 'tap'
import { generateInfraId } from '../../../../shared/hypershift/render/infra-id.ts'

t.test('generateInfraId follows support/infraid', async t => {
  const zeros = (n: number) => Buffer.alloc(n, 0)
  t.equal(generateInfraId('example', zeros), 'example-bbbbb')
  t.equal(generateInfraId('a-very-long-hosted-cluster-name', zeros), 'a-very-long-hosted-cl-bbbbb', 'base cut to 21 characters')
  t.equal(generateInfraId('my--odd_name-', zeros), 'my-odd-name-bbbbb', 'sanitised, dashes squeezed and trimmed')
  t.equal(generateInfraId('abcdefghijklmnopqrst-xyz', zeros), 'abcdefghijklmnopqrst-bbbbb', 'trailing dash after the cut is trimmed')
  t.equal(generateInfraId('x', () => Buffer.from([26, 27, 53, 20, 9])), 'x-9b92m', 'bytes wrap around the 27-letter alphabet')
})
