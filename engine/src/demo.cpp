#include "hrs/engine/demo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include "hrs/engine/responses.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

namespace {

using json = nlohmann::json;

struct team_profile {
  const char* team;
  std::array<const char*, 8> names;
  // Weights of the request types benefits, payroll, leave, hiring, training, policy, other.
  std::array<double, 7> request_weights;
};

constexpr std::array<const char*, 7> request_types = {"benefits", "payroll", "leave", "hiring",
                                                      "training", "policy",  "other"};

constexpr std::array<team_profile, 5> teams = {{
    {"Benefits",
     {"Giulia Romano", "Daniel Okafor", "Mei-Ling Chen", "Andrei Popescu", "Sarah Whitfield",
      "Lucía Fernández", "Tomás Ibarra", "Hannah Brooks"},
     {6, 1, 2, 0.2, 0.2, 1, 0.6}},
    {"Payroll",
     {"Marco Bianchi", "Ioana Dumitrescu", "Wei-Ting Huang", "James Carter", "Elena Navarro",
      "Priya Raman", "Stefan Ionescu", "Chloe Martin"},
     {0.8, 7, 1.2, 0.1, 0.1, 0.6, 0.5}},
    {"Talent Acquisition",
     {"Alessandro Conti", "Carmen Ortiz", "Yu-Chen Lin", "Olivia Bennett", "Radu Marinescu",
      "Sofia Greco", "Kevin Nguyen", "Ana Morales"},
     {0.3, 0.2, 0.3, 7, 1, 0.5, 0.6}},
    {"Employee Relations",
     {"Francesca Ricci", "Mihai Constantin", "Hsin-Yi Wu", "Laura Jiménez", "Peter Walsh",
      "Amira Haddad", "Diego Ramírez", "Claire Dubois"},
     {0.6, 0.4, 3, 0.3, 0.3, 5, 1.5}},
    {"Learning & Development",
     {"Matteo Galli", "Roxana Stan", "Chia-Hao Tsai", "Emily Foster", "Javier Castillo",
      "Nadia Petrova", "Luca Moretti", "Grace Liu"},
     {0.2, 0.1, 0.3, 0.8, 7, 0.6, 0.8}},
}};

struct comment_set {
  const char* locale;
  std::array<const char*, 4> praise;
  std::array<const char*, 4> complaint;
};

constexpr std::array<comment_set, 5> comments = {{
    {"en",
     {"Sorted out my problem the same day, thank you!",
      "Very patient and explained every step clearly.",
      "Friendly and professional, exactly what I needed.", "Went out of their way to help me."},
     {"I had to chase this three times before anyone replied.",
      "The answer was vague and I still don't know what to do.",
      "It took two weeks to fix a simple mistake.", "Felt rushed and not really listened to."}},
    {"it",
     {"Problema risolto in giornata, grazie mille!",
      "Molto disponibile e chiaro in ogni passaggio.",
      "Cortese e preciso, proprio quello che mi serviva.", "Si è dato da fare per aiutarmi."},
     {"Ho dovuto sollecitare tre volte prima di ricevere risposta.",
      "Risposta vaga, non so ancora cosa fare.", "Due settimane per correggere un errore semplice.",
      "Mi sono sentito liquidato in fretta."}},
    {"es",
     {"Me resolvieron el problema el mismo día, ¡gracias!",
      "Muy paciente, me lo explicó todo paso a paso.",
      "Amable y profesional, justo lo que necesitaba.", "Se esforzó de verdad por ayudarme."},
     {"Tuve que insistir tres veces para obtener respuesta.",
      "La respuesta fue vaga y sigo sin saber qué hacer.",
      "Tardaron dos semanas en corregir un error sencillo.", "Sentí que no me escuchaban."}},
    {"ro",
     {"Mi-a rezolvat problema în aceeași zi, mulțumesc!",
      "Foarte răbdător, mi-a explicat fiecare pas.",
      "Amabil și profesionist, exact ce aveam nevoie.", "S-a străduit cu adevărat să mă ajute."},
     {"A trebuit să revin de trei ori până am primit răspuns.",
      "Răspunsul a fost vag, încă nu știu ce să fac.", "Două săptămâni pentru o greșeală simplă.",
      "Am simțit că nu sunt ascultat."}},
    {"zh-Hant",
     {"當天就幫我解決了問題，非常感謝！", "非常有耐心，每個步驟都解釋得很清楚。",
      "親切又專業，正是我需要的。", "特地花時間幫我處理，很感動。"},
     {"我催了三次才有人回覆。", "回答很模糊，我還是不知道該怎麼做。",
      "一個簡單的錯誤花了兩週才修正。", "感覺對方很趕，沒有認真聽我說。"}},
}};

// A staff member's true level on each dimension, the centre their ratings scatter around.
struct staff_profile {
  std::string id;
  std::size_t team = 0;
  double courtesy = 4, timeliness = 4, quality = 4;
};

int rating(std::mt19937_64& rng, double level) {
  std::normal_distribution<double> noise(0.0, 0.85);
  return static_cast<int>(std::clamp(std::lround(level + noise(rng)), 1L, 5L));
}

}  // namespace

std::vector<staff_member> demo_roster() {
  std::vector<staff_member> roster;
  int number = 101;
  for (const auto& team : teams) {
    for (const char* name : team.names)
      roster.push_back({fmt::format("s-{}", number++), name, team.team});
  }
  return roster;
}

result<demo_summary> generate_demo(store& s, const demo_options& options) {
  auto definition = find_active_survey(s, "hr-service");
  if (!definition) return std::unexpected(definition.error());
  {
    auto reader = s.impl().read();
    if (!reader) return std::unexpected(reader.error());
    auto any = reader->db().prepare("SELECT EXISTS (SELECT 1 FROM responses)");
    if (!any) return std::unexpected(any.error());
    if (auto row = any->step(); !row) return std::unexpected(row.error());
    if (any->column_int(0) != 0)
      return fail(errc::conflict, "the store already has responses; give the demo a new --db file");
  }
  const auto roster = demo_roster();
  if (auto imported = import_staff(s, roster, command_line_actor("demo")); !imported)
    return std::unexpected(imported.error());

  std::mt19937_64 rng(options.seed);
  std::vector<staff_profile> profiles;
  std::normal_distribution<double> spread(0.0, 0.45);
  for (std::size_t i = 0; i < roster.size(); ++i) {
    const double overall = 3.95 + spread(rng);
    profiles.push_back({roster[i].id, i / 8, overall + 0.3 * spread(rng),
                        overall + 0.5 * spread(rng), overall + 0.3 * spread(rng)});
  }

  const unix_seconds today_start = static_cast<unix_seconds>(day_of(s.now())) * seconds_per_day;
  const unix_seconds first =
      today_start - static_cast<unix_seconds>(options.days - 1) * seconds_per_day;
  const unix_seconds span = s.now() - first;
  std::uniform_int_distribution<std::size_t> pick_staff(0, profiles.size() - 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::discrete_distribution<std::size_t> pick_locale({70, 8, 10, 6, 6});

  constexpr std::size_t batch_size = 5000;
  std::size_t stored = 0;
  while (stored < options.responses) {
    const std::size_t count = std::min(batch_size, options.responses - stored);
    // Times increase through the run, so response ids follow time as in real use.
    std::vector<unix_seconds> times(count);
    for (auto& t : times)
      t = first +
          static_cast<unix_seconds>(unit(rng) * static_cast<double>(span) *
                                    static_cast<double>(count) /
                                    static_cast<double>(options.responses)) +
          static_cast<unix_seconds>(static_cast<double>(span) * static_cast<double>(stored) /
                                    static_cast<double>(options.responses));
    std::ranges::sort(times);

    std::vector<historical_response> batch;
    batch.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto& who = profiles[pick_staff(rng)];
      std::vector<std::string> staff{who.id};
      if (unit(rng) < 0.08) {
        const auto& colleague = profiles[who.team * 8 + pick_staff(rng) % 8];
        if (colleague.id != who.id) staff.push_back(colleague.id);
      }
      const auto& weights = teams[who.team].request_weights;
      std::discrete_distribution<std::size_t> pick_type(weights.begin(), weights.end());
      const int importance =
          std::clamp(static_cast<int>(std::lround(3.4 + 1.1 * spread(rng) / 0.45)), 1, 5);
      // Urgent requests are judged more harshly on timeliness.
      const double urgency = importance >= 4 ? -0.25 : 0.1;
      const int courtesy = rating(rng, who.courtesy);
      const int timeliness = rating(rng, who.timeliness + urgency);
      const int quality = rating(rng, who.quality);
      const double felt = (courtesy + timeliness + quality) / 3.0;

      json answers = {{"request_type", request_types[pick_type(rng)]},
                      {"importance", importance},
                      {"courtesy", courtesy},
                      {"timeliness", timeliness},
                      {"quality", quality}};
      if (unit(rng) < 0.85) answers["expectations"] = rating(rng, felt - 0.6);
      const auto& language = comments[pick_locale(rng)];
      if (unit(rng) < 0.22) {
        std::uniform_int_distribution<std::size_t> pick_text(0, 3);
        answers["comment"] =
            felt >= 3.7 ? language.praise[pick_text(rng)] : language.complaint[pick_text(rng)];
      }
      batch.push_back({(*definition)->id, (*definition)->version, times[i], language.locale,
                       std::move(staff), std::move(answers)});
    }
    auto imported = import_responses(s, std::move(batch));
    if (!imported) return std::unexpected(imported.error());
    stored += *imported;
    if (options.progress) options.progress(stored, options.responses);
  }
  return demo_summary{roster.size(), stored};
}

}  // namespace hrs::engine
