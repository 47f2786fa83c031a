import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { acceptWhenValid, compileAcceptance } from './accepting-validation';
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

class Shortcuts {
  @IsString() @MaxLength(3) short!: string;
  @Matches('^[a-z]+$', 'i') word!: string;
  @IsOptional() @Matches(/a/g) global?: string;
  @IsOptional() @IsIn(['x', 'y'], { each: true }) picks?: unknown[];
}

describe('compileAcceptance: the cheaper tests of common constraints', () => {
  it('accepts exactly what the constraints accept, where the cheaper test says no as well', async () => {
    const accepts = compileAcceptance(Shortcuts);
    const bodies = [
      { short: 'abc', word: 'Abc' },
      // Three characters in six UTF-16 units: MaxLength counts surrogate pairs as one.
      { short: '😀😀😀', word: 'abc' },
      { short: '😀😀😀😀', word: 'abc' },
      { short: 'abcd', word: 'abc' },
      { short: 'abc', word: 'ab1' },
      { short: 'abc', word: 'abc', global: 'banana' },
      { short: 'abc', word: 'abc', global: 'b' },
      { short: 'abc', word: 'abc', picks: ['x', 'y', 'x'] },
      { short: 'abc', word: 'abc', picks: ['x', 'z'] },
      { short: 'abc', word: 'abc', picks: [1] },
      { short: 3, word: 'abc' },
    ];
    const answers = await Promise.all(
      bodies.map(async (body) => ({ body, walk: accepts(JSON.parse(JSON.stringify(body))), pipe: await pipeAccepts(body, Shortcuts) })),
    );
    expect(answers.filter((a) => a.walk !== a.pipe)).toEqual([]);
    expect(answers.map((a) => a.walk)).toEqual([true, true, false, false, false, true, false, true, false, false, false]);
  });
});

describe('acceptWhenValid', () => {
  class Params {
    @IsString() @Matches(/^[a-z]{1,5}$/) id!: string;
  }

  it("makes the platform's pipe answer a valid value as it is, and anything else as before (the same 400 and fields)", async () => {
    const before = cityValidationPipe();
    const refusal = (metatype: new () => object, value: unknown) =>
      before.transform(value, { type: 'param', metatype }).then(
        () => undefined,
        (error: { fields?: unknown; message?: string }) => ({ message: error.message, fields: error.fields }),
      );
    const invalid = [{ id: 'TOO-LONG' }, { id: 7 }, {}, { id: 'abc', extra: 'x' }];
    const refusedBefore = await Promise.all(invalid.map((value) => refusal(Params, value)));
    const valid = { id: 'abc' };
    expect(await before.transform(valid, { type: 'param', metatype: Params })).toBeInstanceOf(Params);

    acceptWhenValid(Params);
    // Fastify's route parameters are an object whose prototype has a null prototype.
    const fastifyParams = Object.assign(Object.create(Object.create(null) as object) as object, valid);
    expect(await before.transform(fastifyParams, { type: 'param', metatype: Params })).toBe(fastifyParams);
    expect(await cityValidationPipe().transform(valid, { type: 'param', metatype: Params })).toBe(valid);
    expect(await Promise.all(invalid.map((value) => refusal(Params, value)))).toEqual(refusedBefore);
    expect(refusedBefore.every((answer) => answer?.fields !== undefined)).toBe(true);
  });
});
