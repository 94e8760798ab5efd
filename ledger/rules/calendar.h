#pragma once
// The official working-day calendar of China, by which the registry counts its deadlines: notice,
// objection verification and appeal 5 working days, appeal review 10, the quarterly report 5 after the
// quarter (docs/domain.md). Built from layers: the State Council's calendar of each year (weekends,
// public holidays, make-up working days 调休上班) and a region's local holidays. A date in no published
// year is answered from weekends alone, and every answer lists such years: never silently.
// Reading the TOML files is calendar-file.h; carrying the calendar in policy entries is left out.
#include <set>
#include <string>
#include <vector>

#include "ledger/rules/date.h"
#include "protocol/core/result.h"

namespace hreg::rules {

// LayerScope says who publishes a calendar layer, and so what it may say.
enum class LayerScope {
  NATIONAL,  // the State Council's calendar of one year: holidays and make-up working days
  LOCAL,     // a region's own holidays of one year (e.g. Xinjiang's 肉孜节, 古尔邦节): days off only
};

// HolidayBlock is one holiday as published: its name and every day off, weekend days inside included.
struct HolidayBlock {
  std::string name;  // e.g. "春节 Spring Festival"
  std::vector<Date> days;
};

// CalendarLayer is one published calendar of one year, e.g. configs/calendar/CN-2026.toml.
// A LOCAL layer only adds days off: it has no workdays, and it cannot take away a national holiday.
// So a local layer can only lengthen a period counted in working days, never shorten one: a lower
// level refines the national calendar but does not relax it (docs/domain.md, "Policy flows downward").
struct CalendarLayer {
  LayerScope scope = LayerScope::NATIONAL;
  std::string source;  // where it was read from, e.g. "CN-2026.toml"; refusals name it
  std::string region;  // LOCAL: the GB/T 2260 code of the region that publishes it ("65"); NATIONAL: ""
  int year = 0;
  std::vector<HolidayBlock> holidays;
  std::vector<Date> workdays;  // NATIONAL only: make-up working days, each a Saturday or a Sunday
};

// checkLayer checks one layer on its own: a year from 1 to 9999; at least one holiday block, each
// named and with at least one day; every date valid and in the layer's year, and listed once; every
// make-up working day a Saturday or Sunday and not also a day off; a LOCAL layer with a division code
// (2, 4, 6 or 9 digits) and no workdays, a NATIONAL one with no region.
// Refuses MALFORMED_FILE naming the source, the field (indexes count from 0, e.g.
// "holidays[1].days[3]") and what is wrong.
[[nodiscard]] Result<void> checkLayer(const CalendarLayer& layer);

// Coverage says whether an answer rests on published calendars. A year with no NATIONAL layer is
// answered from weekends alone (Monday to Friday are working days, less any LOCAL layer's days off);
// every such year among the days an answer looked at is listed here. An empty list: every day the
// answer looked at lies in a year whose national calendar is published.
struct Coverage {
  std::vector<int> uncoveredYears;  // ascending, each once
  [[nodiscard]] bool published() const noexcept { return uncoveredYears.empty(); }
  friend bool operator==(const Coverage&, const Coverage&) = default;
};

// describeCoverage says in words what an answer rests on, for messages and --json:
// "published calendars" or "weekends alone for 2027: no national calendar is published for it".
[[nodiscard]] std::string describeCoverage(const Coverage& coverage);

// WorkingDayAnswer: whether a date is a working day, and on what calendar that rests.
struct WorkingDayAnswer {
  bool working = false;
  Coverage coverage;
};

// DateAnswer: a date counted in working days, and on what calendars the count rests.
struct DateAnswer {
  Date date;
  Coverage coverage;
};

// CountAnswer: a number of working days, and on what calendars the count rests.
struct CountAnswer {
  int workingDays = 0;
  Coverage coverage;
};

// Deadline is the end of a period of working days: its last day, and the instant that day ends in
// China Standard Time (the midnight after it, as UTC seconds). An act at a time before endsAt is
// within the period.
struct Deadline {
  Date lastDay;
  Timestamp endsAt = 0;
  Coverage coverage;
};

// Calendar answers working-day questions from its layers. A value: copy it, keep it per policy.
// A date is a working day when it is a day off in no layer, and it is a make-up working day of a
// national layer or a Monday to Friday. (A local day off that falls on a national make-up working day
// is a day off: local layers only add days off.)
class Calendar {
 public:
  // An empty calendar publishes no year: it answers everything from weekends alone, and says so.
  Calendar() = default;

  // fromLayers builds a calendar from national and local layers, in any order: typically the three
  // national files, then the local holidays of the node's province (and prefecture, if it has any).
  // Refuses MALFORMED_FILE when a layer fails checkLayer, when two NATIONAL layers are of one year, or
  // when two LOCAL layers are of one region and year; the detail names both sources.
  [[nodiscard]] static Result<Calendar> fromLayers(std::vector<CalendarLayer> layers);

  // isWorkingDay: whether `date` is a working day. Requires: isValid(date).
  [[nodiscard]] WorkingDayAnswer isWorkingDay(Date date) const;

  // nthWorkingDayAfter: the N-th working day after `date`, not counting `date` itself: step forward
  // one day at a time and return the day on which the count reaches `n`. n = 0 returns `date`.
  // Coverage lists the unpublished years among the days stepped over, `date` excluded.
  // Requires: isValid(date), n >= 0.
  [[nodiscard]] DateAnswer nthWorkingDayAfter(Date date, int n) const;

  // workingDaysBetween: how many working days lie after `from` up to and including `to`; 0 when `to`
  // is not after `from`. So nthWorkingDayAfter(from, k) is the first day on which it reaches k.
  // Requires: isValid(from), isValid(to).
  [[nodiscard]] CountAnswer workingDaysBetween(Date from, Date to) const;

  // deadlineAfter: a period of `n` working days that starts with an event on `start` (the day of the
  // event not counted) ends at the end of nthWorkingDayAfter(start, n). E.g. the 5-working-day notice
  // of a list published at 2026-04-29T09:00+08:00 ends at 2026-05-10T00:00+08:00.
  // Requires: isValid(start), n >= 0.
  [[nodiscard]] Deadline deadlineAfter(Date start, int n) const;

  // deadlineAfter: the same for an event at UTC time `at`, counted from its date in China Standard Time.
  [[nodiscard]] Deadline deadlineAfter(Timestamp at, int n) const;

  // isPublished: whether a national layer covers `year`.
  [[nodiscard]] bool isPublished(int year) const { return publishedYears_.contains(year); }

  // layers: the layers the calendar was built from, in the order given.
  [[nodiscard]] const std::vector<CalendarLayer>& layers() const noexcept { return layers_; }

 private:
  [[nodiscard]] bool working(Date date) const;
  void noteYear(Coverage& coverage, int year) const;

  std::vector<CalendarLayer> layers_;
  std::set<int> publishedYears_;
  std::set<Date> daysOff_;
  std::set<Date> makeUpWorkdays_;
};

}  // namespace hreg::rules
