CREATE TABLE "hotline_callbacks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_no" text NOT NULL,
	"event_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"give_up_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hotline_callbacks_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "hotline_category_mappings" (
	"hotline_category" text PRIMARY KEY NOT NULL,
	"category_code" text NOT NULL,
	"accept_hours" integer,
	"reply_hours" integer,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hotline_orders" (
	"order_no" text PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"hotline_category" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"reply_due_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "hotline_orders_case_id_unique" UNIQUE("case_id")
);
--> statement-breakpoint
CREATE TABLE "open311_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_hint" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"uses" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "open311_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "open311_requests" (
	"token" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"key_id" uuid NOT NULL,
	"service_code" text NOT NULL,
	"media_url" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open311_requests_case_id_unique" UNIQUE("case_id")
);
--> statement-breakpoint
ALTER TABLE "hotline_callbacks" ADD CONSTRAINT "hotline_callbacks_order_no_hotline_orders_order_no_fk" FOREIGN KEY ("order_no") REFERENCES "public"."hotline_orders"("order_no") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotline_category_mappings" ADD CONSTRAINT "hotline_category_mappings_category_code_case_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "public"."case_categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotline_orders" ADD CONSTRAINT "hotline_orders_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_requests" ADD CONSTRAINT "open311_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_requests" ADD CONSTRAINT "open311_requests_key_id_open311_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."open311_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hotline_callbacks_due_idx" ON "hotline_callbacks" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "hotline_callbacks_order_idx" ON "hotline_callbacks" USING btree ("order_no","id");--> statement-breakpoint
CREATE INDEX "open311_requests_key_idx" ON "open311_requests" USING btree ("key_id","created_at");