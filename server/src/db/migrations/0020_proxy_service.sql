CREATE TABLE "proxy_applications" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"agent_id" uuid NOT NULL,
	"proxy_point_id" integer,
	"resident_id" uuid NOT NULL,
	"consent_method" text NOT NULL,
	"consent_at" timestamp with time zone NOT NULL,
	"consent_file_id" uuid,
	"consent_note" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proxy_point_agents" (
	"point_id" integer NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "proxy_point_agents_point_id_user_id_pk" PRIMARY KEY("point_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "proxy_points" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"contact_name" text DEFAULT '' NOT NULL,
	"contact_phone" text DEFAULT '' NOT NULL,
	"opening_hours" text DEFAULT '' NOT NULL,
	"retired_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "proxy_applications" ADD CONSTRAINT "proxy_applications_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_applications" ADD CONSTRAINT "proxy_applications_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_applications" ADD CONSTRAINT "proxy_applications_proxy_point_id_proxy_points_id_fk" FOREIGN KEY ("proxy_point_id") REFERENCES "public"."proxy_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_applications" ADD CONSTRAINT "proxy_applications_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_point_agents" ADD CONSTRAINT "proxy_point_agents_point_id_proxy_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."proxy_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_point_agents" ADD CONSTRAINT "proxy_point_agents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_points" ADD CONSTRAINT "proxy_points_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_points" ADD CONSTRAINT "proxy_points_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "proxy_applications_agent_idx" ON "proxy_applications" USING btree ("agent_id","created_at");--> statement-breakpoint
CREATE INDEX "proxy_applications_point_idx" ON "proxy_applications" USING btree ("proxy_point_id");--> statement-breakpoint
CREATE INDEX "proxy_point_agents_user_idx" ON "proxy_point_agents" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "proxy_points_path_idx" ON "proxy_points" USING btree ("org_path" text_pattern_ops);