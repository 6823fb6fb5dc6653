/* referrals_handlers.h — HTTP handlers of the referrals area (referrals_routes.def). */
#ifndef SG_REFERRALS_HANDLERS_H
#define SG_REFERRALS_HANDLERS_H

#include "http/http.h"
#include "modules/referrals/referrals.h"

void agencies_h_list(struct request *req, struct response *res);
void agencies_h_create(struct request *req, struct response *res);
void agencies_h_update(struct request *req, struct response *res);
void referrals_h_create(struct request *req, struct response *res);
void referrals_h_from_incident(struct request *req, struct response *res);
void referrals_h_from_missing(struct request *req, struct response *res);
void referrals_h_list(struct request *req, struct response *res);
void referrals_h_show(struct request *req, struct response *res);
void referrals_h_update(struct request *req, struct response *res);
void referrals_h_submit(struct request *req, struct response *res);
void referrals_h_review(struct request *req, struct response *res);
void referrals_h_cancel(struct request *req, struct response *res);
void referrals_h_measures(struct request *req, struct response *res);
void referrals_h_reply(struct request *req, struct response *res);
void portal_h_list(struct request *req, struct response *res);
void portal_h_show(struct request *req, struct response *res);
void portal_h_acknowledge(struct request *req, struct response *res);
void portal_h_decide(struct request *req, struct response *res);
void referrals_h_signing_key(struct request *req, struct response *res);
void referrals_h_export(struct request *req, struct response *res);
void referrals_h_print(struct request *req, struct response *res);

#endif
