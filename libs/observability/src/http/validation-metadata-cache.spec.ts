import { getMetadataStorage, IsInt, IsString, MetadataStorage, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

describe('cacheValidationMetadata', () => {
  class Place {
    @IsString() street!: string;
  }
  class Home extends Place {
    @IsInt() households!: number;
  }

  const propertiesOf = (storage: MetadataStorage, target: new () => object, groups?: string[]) =>
    storage
      .getTargetValidationMetadatas(target, '', false, false, groups)
      .map((m) => m.propertyName)
      .sort();

  it('answers as class-validator does, inherited rules and groups included, and the same answer again', () => {
    cacheValidationMetadata();
    const storage = getMetadataStorage();
    expect(propertiesOf(storage, Home)).toEqual(['households', 'street']);
    expect(propertiesOf(storage, Home)).toEqual(['households', 'street']);
    expect(propertiesOf(storage, Home, ['other'])).toEqual([]);
    expect(storage.getTargetValidationMetadatas(Home, '', false, false)).toBe(storage.getTargetValidationMetadatas(Home, '', false, false, []));
    expect(validateSync(Object.assign(new Home(), { street: 1, households: 'many' })).map((e) => e.property)).toEqual(['households', 'street']);
  });

  it('forgets its answers when rules are added later (a class defined after the first validation)', () => {
    const storage = new MetadataStorage();
    cacheValidationMetadata(storage);
    cacheValidationMetadata(storage); // idempotent: patched once
    class Later {}
    expect(storage.getTargetValidationMetadatas(Later, '', false, false)).toEqual([]);
    const rule = getMetadataStorage().getTargetValidationMetadatas(Place, '', false, false)[0];
    storage.addValidationMetadata(Object.assign(Object.create(Object.getPrototypeOf(rule) as object) as object, rule, { target: Later }) as typeof rule);
    expect(storage.getTargetValidationMetadatas(Later, '', false, false).map((m) => m.propertyName)).toEqual(['street']);
  });
});
