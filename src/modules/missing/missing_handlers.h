/* missing_handlers.h — HTTP handlers of the missing children area (missing_routes.def). */
#ifndef SG_MISSING_HANDLERS_H
#define SG_MISSING_HANDLERS_H

#include "http/http.h"
#include "modules/missing/missing.h"

void missing_h_create(struct request *req, struct response *res);
void missing_h_new(struct request *req, struct response *res);
void missing_h_list(struct request *req, struct response *res);
void missing_h_show(struct request *req, struct response *res);
void missing_h_event(struct request *req, struct response *res);
void missing_h_risk_info(struct request *req, struct response *res);
void missing_h_review(struct request *req, struct response *res);
void missing_h_return(struct request *req, struct response *res);
void missing_h_interview(struct request *req, struct response *res);
void missing_h_exploitation(struct request *req, struct response *res);
void missing_h_referral(struct request *req, struct response *res);
void missing_h_rhi_referral(struct request *req, struct response *res);
void missing_h_rhi_outcome(struct request *req, struct response *res);
void missing_h_link(struct request *req, struct response *res);
void missing_h_close(struct request *req, struct response *res);
void missing_h_profile_show(struct request *req, struct response *res);
void missing_h_profile_put(struct request *req, struct response *res);

#endif
