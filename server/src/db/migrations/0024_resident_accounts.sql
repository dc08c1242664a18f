CREATE TABLE "resident_accounts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"phone_idx" text,
	"consent_version" text,
	"consented_at" timestamp with time zone,
	"real_name_enc" text,
	"id_number_enc" text,
	"id_number_idx" text,
	"real_name_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "resident_accounts_phone_idx_unique" UNIQUE("phone_idx")
);
--> statement-breakpoint
CREATE TABLE "resident_login_codes" (
	"phone_idx" text PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"failed_tries" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resident_accounts" ADD CONSTRAINT "resident_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;