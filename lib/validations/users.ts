import { z } from "zod";
import { USER_ROLES } from "@/lib/db/schema/enums";

const ZPassword = z.string().min(12, "Use at least 12 characters").max(256, "Use at most 256 characters");

const ZEmail = z.string().trim().toLowerCase().email("Enter a valid email address").max(254);

export const ZCreateUserInput = z.object({
  email: ZEmail,
  name: z.string().trim().min(1, "Enter a name").max(100),
  password: ZPassword,
  role: z.enum(USER_ROLES),
});
export type TCreateUserInput = z.infer<typeof ZCreateUserInput>;

export const ZSignInInput = z.object({
  email: ZEmail,
  password: z.string().min(1, "Enter your password").max(256),
});
export type TSignInInput = z.infer<typeof ZSignInInput>;

export const ZSetupInput = ZCreateUserInput.omit({ role: true })
  .extend({ confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, { message: "Passwords do not match", path: ["confirmPassword"] });
export type TSetupInput = z.infer<typeof ZSetupInput>;

export const ZChangePasswordInput = z
  .object({ currentPassword: z.string().min(1, "Enter your current password"), newPassword: ZPassword, confirmPassword: z.string() })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "Passwords do not match", path: ["confirmPassword"] });
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;
