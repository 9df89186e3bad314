/*
 * checks.h
 *		The pure rules of contact.c and the booking window turned into
 *		errors a caller understands (checks.c): 22004 for a missing value,
 *		22023 for a bad one, each naming the argument.  checks.c owns the
 *		settings sched.default_country_code and sched.max_days_ahead.
 */
#ifndef SCHED_CHECKS_H
#define SCHED_CHECKS_H

#include "sched.h"

#include "datatype/timestamp.h"
#include "utils/date.h"

extern void SchedChecksInit(void);
extern const char *SchedDefaultCountryCode(void);

extern void SchedRequire(bool isnull, const char *name);
extern char *SchedCheckText(const char *value, const char *name, int max_chars,
							bool required, bool multiline);
extern void SchedCheckNoLink(const char *value, const char *name);
extern char *SchedCheckPhone(const char *value, const char *name);
extern char *SchedUserIdArg(FunctionCallInfo fcinfo, int argno);
extern char *SchedCheckEmail(const char *value, const char *name);
extern void SchedCheckIntRange(int32 value, const char *name, int32 min, int32 max);
extern int	SchedCheckMaxRows(int32 max_rows);
extern void SchedCheckInterval(Interval *value, const char *name, Interval *min, Interval *max,
							   const char *range_words);
extern void SchedCheckFiniteTime(TimestampTz value, const char *name);
extern void SchedCheckPastTime(TimestampTz value, const char *name);

/* The booking window: from today to sched.max_days_ahead days ahead. */
extern void SchedCheckVisitDate(DateADT visit_date, const char *name);
extern void SchedBookingWindow(DateADT *first, DateADT *last);

#endif							/* SCHED_CHECKS_H */
