/* case_audits_handlers.h — HTTP handlers of case audits (case_audits_routes.def). */
#ifndef SG_CASE_AUDITS_HANDLERS_H
#define SG_CASE_AUDITS_HANDLERS_H

#include "http/http.h"
#include "modules/case_audits/case_audits.h"

void case_audits_index(struct request *req, struct response *res);
void case_audits_sample_new(struct request *req, struct response *res);
void case_audits_sample_create(struct request *req, struct response *res);
void case_audits_criteria_index(struct request *req, struct response *res);
void case_audits_criterion_new(struct request *req, struct response *res);
void case_audits_criterion_create(struct request *req, struct response *res);
void case_audits_criterion_retire(struct request *req, struct response *res);
void case_audits_show(struct request *req, struct response *res);
void case_audits_grade(struct request *req, struct response *res);

#endif
