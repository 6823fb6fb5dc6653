/* assurance_handlers.h — HTTP handlers of the assurance area (assurance_routes.def). */
#ifndef SG_ASSURANCE_HANDLERS_H
#define SG_ASSURANCE_HANDLERS_H

#include "http/http.h"
#include "modules/assurance/assurance.h"

void assurance_show_overview(struct request *req, struct response *res);
void assurance_show_recommendation(struct request *req, struct response *res);
void assurance_board_pack_pdf(struct request *req, struct response *res);
void assurance_update_action(struct request *req, struct response *res);
void assurance_show_action(struct request *req, struct response *res);
void assurance_create_action(struct request *req, struct response *res);
void assurance_add_commentary(struct request *req, struct response *res);
void assurance_measures_csv_export(struct request *req, struct response *res);
void assurance_measure_trend_svg(struct request *req, struct response *res);

/* Imported inspections (assurance_import_handlers.c). */
extern const struct field assurance_import_fields[];
void assurance_import_inspection(struct request *req, struct response *res);
void assurance_import_form(struct request *req, struct response *res);
void assurance_list_inspections(struct request *req, struct response *res);

#endif
