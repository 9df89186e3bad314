/*
 * clock.h
 *		The business's clock (clock.c): today, local times, when a slot
 *		starts and ends, and business hours, all in sched.timezone.
 *		clock.c owns the settings sched.timezone and sched.business_hours.
 */
#ifndef SCHED_CLOCK_H
#define SCHED_CLOCK_H

#include "sched.h"
#include "messages.h"

#include "datatype/timestamp.h"
#include "utils/date.h"

extern void SchedClockInit(void);

extern const char *SchedTimezone(void);
extern DateADT SchedToday(void);
extern DateADT SchedLocalDate(TimestampTz t);
extern Timestamp SchedLocalTime(TimestampTz t);
extern Timestamp SchedSlotLocalStart(DateADT visit_date, int slot);
extern Timestamp SchedSlotLocalEnd(DateADT visit_date, int slot);
extern TimestampTz SchedSlotStart(DateADT visit_date, int slot);
extern TimestampTz SchedSlotEnd(DateADT visit_date, int slot);
extern void SchedCheckSlotOpen(DateADT visit_date, Datum time_slot);
extern TimestampTz SchedBusinessTime(TimestampTz t);
/* 1.4: the minimum notice and the hours of agents without their own */
extern TimestampTz SchedEarliestStart(void);
extern bool SchedCheckDurationSetting(char **newval, void **extra, int min_minutes);
extern void SchedCheckNotice(DateADT visit_date, Datum time_slot);
extern bool SchedBusinessHoursCover(int slot);
extern char *SchedDateText(DateADT d);
extern SchedDate SchedDateOf(DateADT d);
/* 1.4: customers' time zones */
extern const char *SchedZoneName(const char *name);
extern const char *SchedRequireZone(const char *name, const char *what);
extern void SchedSlotClocks(DateADT visit_date, int slot, const char *zone,
							const char **abbrev, SchedCustomerClock *customer);

#endif							/* SCHED_CLOCK_H */
