CREATE TABLE "resident_moves" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"resident_id" uuid NOT NULL,
	"from_grid_id" integer,
	"to_grid_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"by_name" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "residents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"id_number_enc" text NOT NULL,
	"id_number_idx" text NOT NULL,
	"id_number_tail" text NOT NULL,
	"phone_enc" text,
	"phone_idx" text,
	"sex" text NOT NULL,
	"birth_date" text NOT NULL,
	"birthplace_code" text NOT NULL,
	"residence_type" text DEFAULT 'registered' NOT NULL,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"relation_to_head" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resident_moves" ADD CONSTRAINT "resident_moves_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resident_moves_resident_idx" ON "resident_moves" USING btree ("resident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "residents_id_number_idx" ON "residents" USING btree ("id_number_idx");--> statement-breakpoint
CREATE INDEX "residents_phone_idx" ON "residents" USING btree ("phone_idx");--> statement-breakpoint
CREATE INDEX "residents_path_idx" ON "residents" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "residents_name_prefix_idx" ON "residents" USING btree ("name" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "residents_name_trgm_idx" ON "residents" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "residents_tags_idx" ON "residents" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "residents_birth_idx" ON "residents" USING btree ("birth_date");