import type { FormRule } from 'antd';
import type { z } from 'zod';

/**
 * An antd Form rule that checks a field with the API's own zod schema (`userCreate.shape.username`),
 * so the form refuses what the server would. An empty field passes: whether it is needed is
 * the `required` rule's to say. The message is the caller's (in the user's language), else
 * the schema's own.
 */
export function zodRule(schema: z.ZodType, message?: string): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      if (value === undefined || value === null || value === '') return;
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new Error(message ?? parsed.error.issues[0]?.message);
    },
  };
}
