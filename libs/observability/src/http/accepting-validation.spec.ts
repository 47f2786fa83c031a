import { Transform, Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { compileAcceptance } from './accepting-validation';
import { cityValidationPipe } from './validation-pipe';

class Inner {
  @IsString() @MaxLength(3) name!: string;
}
class WithNestedArray {
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => Inner) items?: Inner[];
}
class Transformed {
  @IsString() @Transform(({ value }) => String(value).trim()) name!: string;
}

const pipe = cityValidationPipe();
const pipeAccepts = async (body: unknown, metatype: new () => object): Promise<boolean> =>
  pipe.transform(JSON.parse(JSON.stringify(body)), { type: 'body', metatype }).then(
    () => true,
    () => false,
  );

describe('compileAcceptance', () => {
  it('refuses at startup a DTO whose checks it does not model, rather than guess', () => {
    expect(() => compileAcceptance(Transformed)).toThrow(/@Transform/);
    expect(() => compileAcceptance(class Bare {})).toThrow(/no validation metadata/);
  });

  it('accepts arrays of a nested DTO only where the platform pipe does, and every valid one', async () => {
    const accepts = compileAcceptance(WithNestedArray);
    const valid = [{}, { items: [] }, { items: [{ name: 'a' }, { name: 'abc' }] }];
    const others = [
      { items: [{ name: 1 }] },
      { items: [{ name: 'abcd' }] },
      { items: [{ name: 'a', extra: 1 }] },
      { items: [null] },
      { items: [[]] },
      { items: { name: 'a' } },
      { items: 'x' },
      { items: [{ name: 'a' }], extra: true },
    ];
    for (const body of valid)
      expect({ body, walk: accepts(JSON.parse(JSON.stringify(body))), pipe: await pipeAccepts(body, WithNestedArray) }).toEqual({
        body,
        walk: true,
        pipe: true,
      });
    for (const body of others) {
      // The walk never accepts what the pipe refuses (it may leave a body to the pipe that the pipe accepts).
      if (accepts(JSON.parse(JSON.stringify(body)))) expect({ body, pipe: await pipeAccepts(body, WithNestedArray) }).toEqual({ body, pipe: true });
    }
    expect(others.filter((body) => accepts(body))).toEqual([]);
  });
});
