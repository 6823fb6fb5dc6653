/* disclosure_handlers.h — HTTP handlers of the disclosure scheme area (disclosure_routes.def). */
#ifndef SG_DISCLOSURE_HANDLERS_H
#define SG_DISCLOSURE_HANDLERS_H

#include "http/http.h"
#include "modules/disclosure/disclosure.h"

void disclosure_h_create(struct request *req, struct response *res);
void disclosure_h_new(struct request *req, struct response *res);
void disclosure_h_list(struct request *req, struct response *res);
void disclosure_h_show(struct request *req, struct response *res);
void disclosure_h_contact(struct request *req, struct response *res);
void disclosure_h_meeting(struct request *req, struct response *res);
void disclosure_h_checks(struct request *req, struct response *res);
void disclosure_h_decision(struct request *req, struct response *res);
void disclosure_h_undertaking(struct request *req, struct response *res);
void disclosure_h_disclose(struct request *req, struct response *res);
void disclosure_h_close(struct request *req, struct response *res);
void disclosure_h_risk(struct request *req, struct response *res);
void disclosure_h_risk_action(struct request *req, struct response *res);

#endif
