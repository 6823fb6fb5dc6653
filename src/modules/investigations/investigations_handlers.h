/* investigations_handlers.h — HTTP handlers of the investigations area (investigations_routes.def).
 */
#ifndef SG_INVESTIGATIONS_HANDLERS_H
#define SG_INVESTIGATIONS_HANDLERS_H

#include "http/http.h"
#include "modules/investigations/investigations.h"

void teams_h_list(struct request *req, struct response *res);
void teams_h_create(struct request *req, struct response *res);
void teams_h_update(struct request *req, struct response *res);
void officers_h_list(struct request *req, struct response *res);
void officers_h_put(struct request *req, struct response *res);
void inv_h_create(struct request *req, struct response *res);
void inv_h_list(struct request *req, struct response *res);
void inv_h_ageing(struct request *req, struct response *res);
void inv_h_show(struct request *req, struct response *res);
void inv_h_ranking(struct request *req, struct response *res);
void inv_h_allocate(struct request *req, struct response *res);
void inv_h_review(struct request *req, struct response *res);
void inv_h_action(struct request *req, struct response *res);
void inv_h_action_done(struct request *req, struct response *res);
void inv_h_status(struct request *req, struct response *res);
void inv_h_plan(struct request *req, struct response *res);
void inv_h_risk(struct request *req, struct response *res);
void inv_h_close(struct request *req, struct response *res);
void inv_h_referral(struct request *req, struct response *res);

#endif
