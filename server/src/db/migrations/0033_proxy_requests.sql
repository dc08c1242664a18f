CREATE TABLE "proxy_request_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"data" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proxy_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_item_id" integer NOT NULL,
	"service_code" text NOT NULL,
	"requester_id" uuid NOT NULL,
	"resident_id" uuid,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"contact_time" text DEFAULT '' NOT NULL,
	"phone_enc" text,
	"consent_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"taken_by" uuid,
	"taken_at" timestamp with time zone,
	"application_id" uuid,
	"closed_at" timestamp with time zone,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "proxy_request_events" ADD CONSTRAINT "proxy_request_events_request_id_proxy_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."proxy_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_requests" ADD CONSTRAINT "proxy_requests_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_requests" ADD CONSTRAINT "proxy_requests_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_requests" ADD CONSTRAINT "proxy_requests_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_requests" ADD CONSTRAINT "proxy_requests_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "proxy_request_events_request_idx" ON "proxy_request_events" USING btree ("request_id","at");--> statement-breakpoint
CREATE INDEX "proxy_requests_path_idx" ON "proxy_requests" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "proxy_requests_requester_idx" ON "proxy_requests" USING btree ("requester_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "proxy_requests_idem_idx" ON "proxy_requests" USING btree ("requester_id","idempotency_key");