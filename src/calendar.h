/*
 * calendar.h
 *		Calendar arithmetic on dates of the proleptic Gregorian calendar
 *		(years 1 to 9999) and day numbers (days since 1970-01-01, which
 *		may be negative): the chat's reading of dates (contact_details.c)
 *		and the message texts (messages.c) use it.
 *
 * Pure C, no PostgreSQL headers.
 */
#ifndef SCHED_CALENDAR_H
#define SCHED_CALENDAR_H

#include <stdbool.h>

/* Whether year-month-day is a real date of the years 1 to 9999. */
extern bool sched_valid_date(int year, int month, int day);

/* The days of a month, 28 to 31; 0 for a month that is not 1 to 12. */
extern int	sched_days_in_month(int y, int m);

/* The day number of a date, and the date of a day number. */
extern long sched_days_from_civil(int year, int month, int day);
extern void sched_civil_from_days(long z, int *year, int *month, int *day);

/* The day of the week of a day number: 0 Sunday to 6 Saturday. */
extern int	sched_weekday(long z);

#endif							/* SCHED_CALENDAR_H */
