import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** cdk-nag's rule for wildcards in IAM policies; each wildcard is a separate finding `IAM5[Action::…]`/`[Resource::…]`. */
const IAM5 = 'AwsSolutions-IAM5';

/** The KMS actions that CDK's grants on KMS-encrypted resources (buckets, tables, queues) add for data keys. */
export const KMS_DATA_KEY_ACTIONS = ['kms:GenerateDataKey*', 'kms:ReEncrypt*'] as const;

export interface WildcardAcknowledgment {
  /** Granted actions that end in a wildcard, e.g. `s3:GetObject*`. */
  readonly actions?: readonly string[];
  /**
   * Granted resources that contain a wildcard, as the tokens the grant used, e.g. `bucket.arnForObjects('*')`.
   * A resource from another stack only gets its final form (a parameter or import) when the app is prepared, so
   * these are acknowledged then, resolved exactly as cdk-nag will print them.
   */
  readonly resources?: readonly string[];
  /** Why the wildcard is needed and what bounds it. */
  readonly reason: string;
}

/**
 * Acknowledges specific AwsSolutions-IAM5 findings on one principal's policies (the construct and its children),
 * each by its exact finding id: an acknowledgment never covers a wildcard it does not name.
 */
export function acknowledgeWildcards(scope: IConstruct, acknowledgment: WildcardAcknowledgment): void {
  const { reason } = acknowledgment;
  for (const action of acknowledgment.actions ?? []) {
    Validations.of(scope).acknowledge({ id: `${IAM5}[Action::${action}]`, reason });
  }
  const resources = acknowledgment.resources ?? [];
  if (resources.length === 0) return;
  // Validations run after references between stacks are resolved and before cdk-nag reads the acknowledgments.
  scope.node.addValidation({
    validate: () => {
      const stack = Stack.of(scope);
      for (const resource of resources) {
        Validations.of(scope).acknowledge({
          id: `${IAM5}[Resource::${flattenReference(stack.resolve(resource))}]`,
          reason,
        });
      }
      return [];
    },
  });
}

/**
 * Renders a resolved CloudFormation value as cdk-nag names resources in findings: `<Logical.Attr>` for GetAtt,
 * `<Logical>` for Ref, joins concatenated, imports by export name.
 */
export function flattenReference(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value !== 'object') return JSON.stringify(value);
  const node = value as Record<string, unknown>;
  const join = node['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(flattenReference).join(join[0]);
  }
  if (node['Fn::Sub'] !== undefined) return flattenReference(node['Fn::Sub']);
  const getAtt = node['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
  if (node['Fn::ImportValue'] !== undefined) return flattenReference(node['Fn::ImportValue']);
  if (node.Ref !== undefined) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(value);
}
