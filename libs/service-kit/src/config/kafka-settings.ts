import { checkKafkaSecurity, type KafkaSecurityEnv } from '@city/kafka';
import { type ValidationArguments, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/**
 * The Kafka connection settings together (KAFKA_SSL*, KAFKA_SASL*): an incomplete
 * set, or a file that cannot be read, refuses the start with every setting named.
 */
@ValidatorConstraint({ name: 'kafkaSecurity' })
export class KafkaSecuritySetting implements ValidatorConstraintInterface {
  private problem = '';

  validate(_: unknown, args: ValidationArguments): boolean {
    const checked = checkKafkaSecurity(args.object as KafkaSecurityEnv);
    this.problem = checked.ok ? '' : checked.problems.join('; ');
    return checked.ok;
  }

  defaultMessage(): string {
    return this.problem;
  }
}
