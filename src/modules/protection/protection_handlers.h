/* protection_handlers.h — HTTP handlers of the police protection area (protection_routes.def). */
#ifndef SG_PROTECTION_HANDLERS_H
#define SG_PROTECTION_HANDLERS_H

#include "http/http.h"
#include "modules/protection/protection.h"

void protection_h_create(struct request *req, struct response *res);
void protection_h_new(struct request *req, struct response *res);
void protection_h_list(struct request *req, struct response *res);
void protection_h_show(struct request *req, struct response *res);
void protection_h_designate(struct request *req, struct response *res);
void protection_h_place(struct request *req, struct response *res);
void protection_h_notify(struct request *req, struct response *res);
void protection_h_inquiry(struct request *req, struct response *res);
void protection_h_epo(struct request *req, struct response *res);
void protection_h_release(struct request *req, struct response *res);
void protection_h_note(struct request *req, struct response *res);
void protection_h_referral(struct request *req, struct response *res);
void protection_h_summary(struct request *req, struct response *res);
void protection_h_person(struct request *req, struct response *res);
void protection_h_incident_decision(struct request *req, struct response *res);

#endif
