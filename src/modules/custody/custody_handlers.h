/* custody_handlers.h — HTTP handlers of the children in custody area (custody_routes.def). */
#ifndef SG_CUSTODY_HANDLERS_H
#define SG_CUSTODY_HANDLERS_H

#include "http/http.h"
#include "modules/custody/custody.h"
#include "modules/incidents/incidents.h"

void custody_h_create(struct request *req, struct response *res);
void custody_h_list(struct request *req, struct response *res);
/* GET /api/custody/new (custody_pages.c): the book-in form's data. */
void custody_h_new(struct request *req, struct response *res);
void custody_h_show(struct request *req, struct response *res);
void custody_h_age(struct request *req, struct response *res);
void custody_h_accommodation(struct request *req, struct response *res);
void custody_h_review(struct request *req, struct response *res);
void custody_h_visit(struct request *req, struct response *res);
void custody_h_responsible(struct request *req, struct response *res);
void custody_h_aa_request(struct request *req, struct response *res);
void custody_h_aa_arrival(struct request *req, struct response *res);
void custody_h_welfare(struct request *req, struct response *res);
void custody_h_voice(struct request *req, struct response *res);
void custody_h_legal(struct request *req, struct response *res);
void custody_h_interview(struct request *req, struct response *res);
void custody_h_outcome(struct request *req, struct response *res);
void custody_h_transfer_request(struct request *req, struct response *res);
void custody_h_la_answer(struct request *req, struct response *res);
void custody_h_transferred(struct request *req, struct response *res);
void custody_h_certify(struct request *req, struct response *res);
void custody_h_release(struct request *req, struct response *res);
void custody_h_referral(struct request *req, struct response *res);
void custody_h_certificate(struct request *req, struct response *res);
void custody_h_measures(struct request *req, struct response *res);

#endif
