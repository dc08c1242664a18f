CREATE TABLE "cameras" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"owner" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"grid_id" integer,
	"org_path" text NOT NULL,
	"stream_url" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cameras_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "cameras" ADD CONSTRAINT "cameras_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cameras" ADD CONSTRAINT "cameras_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cameras_path_idx" ON "cameras" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cameras_point_idx" ON "cameras" USING btree ("lng","lat");