import { AwsError, requireString, validationError } from '../aws-error';
import type { JsonService } from '../wire/json-wire';

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

export interface TableSettings {
  readonly name: string;
  /** the partition key (eni-pbr's tables have no sort key) */
  readonly hashKey: string;
}

/**
 * DynamoDB (JSON 1.0) GetItem/PutItem/DeleteItem on hash-key tables, items kept in DynamoDB's attribute-value JSON.
 * TTL deletion is not emulated (DynamoDB itself deletes expired items only within days, so readers
 * must check `expiresAt` anyway); condition expressions beyond attribute_not_exists are refused.
 */
export class DynamoDbService implements JsonService {
  readonly targetPrefix = 'DynamoDB_20120810';
  readonly contentType = 'application/x-amz-json-1.0';
  readonly errorNamespace = 'com.amazonaws.dynamodb.v20120810';
  private readonly tables = new Map<string, { settings: TableSettings; items: Map<string, Item> }>();

  createTable(settings: TableSettings): void {
    this.tables.set(settings.name, { settings, items: new Map() });
  }

  items(name: string): Item[] {
    return [...(this.tables.get(name)?.items.values() ?? [])];
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const table = this.tables.get(requireString(input, 'TableName'));
    if (table === undefined) throw new AwsError('ResourceNotFoundException', 'Requested resource not found');
    const keyOf = (record: unknown, what: string): string => {
      const value = (record as Item | undefined)?.[table.settings.hashKey];
      if (value === undefined || Object.keys(value).length !== 1) throw validationError(`One or more parameter values were invalid: Missing the key ${table.settings.hashKey} in the ${what}`);
      return JSON.stringify(value);
    };
    switch (operation) {
      case 'GetItem': {
        const key = input.Key as Item | undefined;
        if (key !== undefined && Object.keys(key).length !== 1) throw validationError('The provided key element does not match the schema');
        const item = table.items.get(keyOf(key, 'key'));
        return item === undefined ? {} : { Item: item };
      }
      case 'PutItem': {
        const item = input.Item as Item;
        const key = keyOf(item, 'item');
        const condition = input.ConditionExpression;
        if (condition !== undefined && !/^attribute_not_exists\(\s*#?\w+\s*\)$/.test(String(condition))) throw validationError(`ConditionExpression ${String(condition)} is not emulated`);
        if (condition !== undefined && table.items.has(key)) throw new AwsError('ConditionalCheckFailedException', 'The conditional request failed');
        const previous = table.items.get(key);
        table.items.set(key, item);
        return input.ReturnValues === 'ALL_OLD' && previous !== undefined ? { Attributes: previous } : {};
      }
      case 'DeleteItem': {
        const key = input.Key as Item | undefined;
        if (key !== undefined && Object.keys(key).length !== 1) throw validationError('The provided key element does not match the schema');
        if (input.ConditionExpression !== undefined) throw validationError('ConditionExpression on DeleteItem is not emulated');
        const id = keyOf(key, 'key');
        const previous = table.items.get(id);
        table.items.delete(id);
        return input.ReturnValues === 'ALL_OLD' && previous !== undefined ? { Attributes: previous } : {};
      }
      default:
        throw new AwsError('UnknownOperationException', `DynamoDB_20120810.${operation} is not emulated`);
    }
  }
}
