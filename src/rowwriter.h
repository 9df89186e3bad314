/*
 * rowwriter.h
 *		Rows written without SQL statements (rowwriter.c): a booking's own
 *		row, its history and outbox rows, and its count in user_profiles.
 */
#ifndef SCHED_ROWWRITER_H
#define SCHED_ROWWRITER_H

#include "sched.h"
#include "rows.h"

extern void SchedRowWriterInit(void);

/* Need SPI (for the fallback through SQL). */
extern void SchedWriteRows(SchedTable t, int nrows, int ncols,
						   const Datum *values, const bool *nulls);
extern Datum SchedInsertBooking(SchedTable t, int ncols, const int *cols,
								const Datum *values, const bool *nulls);
extern void SchedCountInProfile(Datum user_id, int32 visits, int32 callbacks, int32 points,
								Datum lead_score, bool score_null);

#endif							/* SCHED_ROWWRITER_H */
