/* offenders_handlers.h — HTTP handlers of the offender management area (offenders_routes.def). */
#ifndef SG_OFFENDERS_HANDLERS_H
#define SG_OFFENDERS_HANDLERS_H

#include "http/http.h"
#include "modules/offenders/offenders.h"

void of_h_create(struct request *req, struct response *res);
void of_h_list(struct request *req, struct response *res);
void of_h_show(struct request *req, struct response *res);
void of_h_details(struct request *req, struct response *res);
void of_h_conviction(struct request *req, struct response *res);
void of_h_order(struct request *req, struct response *res);
void of_h_notify(struct request *req, struct response *res);
void of_h_risk(struct request *req, struct response *res);
void of_h_plan(struct request *req, struct response *res);
void of_h_visit(struct request *req, struct response *res);
void of_h_visit_outcome(struct request *req, struct response *res);
void of_h_management(struct request *req, struct response *res);
void of_h_intel(struct request *req, struct response *res);
void of_h_intel_review(struct request *req, struct response *res);
void of_h_concern(struct request *req, struct response *res);
void of_h_concern_review(struct request *req, struct response *res);
void of_h_concern_end(struct request *req, struct response *res);
void of_h_quality(struct request *req, struct response *res);
void of_h_quality_list(struct request *req, struct response *res);
void of_h_briefings(struct request *req, struct response *res);
void of_h_briefing(struct request *req, struct response *res);
void of_h_child_links(struct request *req, struct response *res);
void of_h_child_action(struct request *req, struct response *res);

#endif
