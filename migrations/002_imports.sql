-- Imports (issue 3): police events get their own source, so the police's public events feed (a sample of
-- reported crimes, placed only by its text) is never added to the crime register (anmälda brott) by accident.
-- Seeds the crime category labels (code, Swedish, English, group) for the register and the police events;
-- a categories import (code,label_sv,label_en,group) replaces or extends them.
ALTER TABLE incidents DROP CONSTRAINT IF EXISTS incidents_source_check;
ALTER TABLE incidents ADD CONSTRAINT incidents_source_check
  CHECK (source IN ('crimes','shootings','guard-reports','citizen-reports','police-events'));

INSERT INTO categories (source, code, label_sv, label_en, grp) VALUES
  ('crimes', 'misshandel', 'Misshandel', 'Assault', 'vald'),
  ('crimes', 'mord-drap', 'Mord och dråp (inkl. försök)', 'Murder and manslaughter (incl. attempts)', 'vald'),
  ('crimes', 'olaga-hot', 'Olaga hot', 'Unlawful threats', 'vald'),
  ('crimes', 'vald-mot-tjansteman', 'Våld eller hot mot tjänsteman', 'Violence or threats against a public official', 'vald'),
  ('crimes', 'ofredande', 'Ofredande', 'Molestation', 'vald'),
  ('crimes', 'sexualbrott', 'Sexualbrott', 'Sexual offences', 'sexualbrott'),
  ('crimes', 'ran', 'Rån', 'Robbery', 'ran'),
  ('crimes', 'stold', 'Stöld', 'Theft', 'stold'),
  ('crimes', 'fickstold', 'Fickstöld', 'Pickpocketing', 'stold'),
  ('crimes', 'cykelstold', 'Cykelstöld', 'Bicycle theft', 'stold'),
  ('crimes', 'inbrott', 'Inbrott', 'Burglary', 'stold'),
  ('crimes', 'fordonsstold', 'Stöld av och ur fordon', 'Theft of and from vehicles', 'stold'),
  ('crimes', 'skadegorelse', 'Skadegörelse', 'Criminal damage', 'skadegorelse'),
  ('crimes', 'klotter', 'Klotter', 'Graffiti', 'skadegorelse'),
  ('crimes', 'narkotika', 'Narkotikabrott', 'Drug offences', 'narkotika'),
  ('crimes', 'bedrageri', 'Bedrägeri', 'Fraud', 'bedrageri'),
  ('crimes', 'vapen', 'Vapen- och knivbrott', 'Weapons and knife offences', 'vapen'),
  ('crimes', 'explosion', 'Sprängning, detonation', 'Explosion, detonation', 'allmanfarligt'),
  ('crimes', 'brand', 'Brand, mordbrand', 'Fire, arson', 'allmanfarligt'),
  ('crimes', 'ovrigt', 'Övriga brott', 'Other offences', 'ovrigt'),
  ('police-events', 'misshandel', 'Misshandel', 'Assault', 'vald'),
  ('police-events', 'mord-drap', 'Mord och dråp (inkl. försök)', 'Murder and manslaughter (incl. attempts)', 'vald'),
  ('police-events', 'olaga-hot', 'Olaga hot', 'Unlawful threats', 'vald'),
  ('police-events', 'vald-mot-tjansteman', 'Våld eller hot mot tjänsteman', 'Violence or threats against a public official', 'vald'),
  ('police-events', 'ofredande', 'Ofredande', 'Molestation', 'vald'),
  ('police-events', 'sexualbrott', 'Sexualbrott', 'Sexual offences', 'sexualbrott'),
  ('police-events', 'ran', 'Rån', 'Robbery', 'ran'),
  ('police-events', 'stold', 'Stöld', 'Theft', 'stold'),
  ('police-events', 'fickstold', 'Fickstöld', 'Pickpocketing', 'stold'),
  ('police-events', 'cykelstold', 'Cykelstöld', 'Bicycle theft', 'stold'),
  ('police-events', 'inbrott', 'Inbrott', 'Burglary', 'stold'),
  ('police-events', 'fordonsstold', 'Stöld av och ur fordon', 'Theft of and from vehicles', 'stold'),
  ('police-events', 'skadegorelse', 'Skadegörelse', 'Criminal damage', 'skadegorelse'),
  ('police-events', 'klotter', 'Klotter', 'Graffiti', 'skadegorelse'),
  ('police-events', 'narkotika', 'Narkotikabrott', 'Drug offences', 'narkotika'),
  ('police-events', 'bedrageri', 'Bedrägeri', 'Fraud', 'bedrageri'),
  ('police-events', 'vapen', 'Vapen- och knivbrott', 'Weapons and knife offences', 'vapen'),
  ('police-events', 'explosion', 'Sprängning, detonation', 'Explosion, detonation', 'allmanfarligt'),
  ('police-events', 'brand', 'Brand, mordbrand', 'Fire, arson', 'allmanfarligt'),
  ('police-events', 'ovrigt', 'Övriga brott', 'Other offences', 'ovrigt')
ON CONFLICT (source, code) DO NOTHING;

INSERT INTO categories (source, code, label_sv, label_en, grp) VALUES
  ('shootings', 'killed', 'Skjutning med dödlig utgång', 'Shooting, killed', 'skjutning'),
  ('shootings', 'injured', 'Skjutning med skadade', 'Shooting, injured', 'skjutning'),
  ('shootings', 'none', 'Skjutning utan skadade', 'Shooting, no one hurt', 'skjutning'),
  ('shootings', 'unknown', 'Skjutning, utgång okänd', 'Shooting, outcome unknown', 'skjutning'),
  ('guard-reports', 'avvisning', 'Avvisning', 'Removal (refused entry)', 'ordningsvakt'),
  ('guard-reports', 'avlagsnande', 'Avlägsnande', 'Removal', 'ordningsvakt'),
  ('guard-reports', 'omhandertagande', 'Omhändertagande', 'Taking into custody', 'ordningsvakt'),
  ('guard-reports', 'lob', 'Omhändertagande enligt LOB', 'Custody for intoxication (LOB)', 'ordningsvakt'),
  ('guard-reports', 'gripande', 'Gripande', 'Arrest', 'ordningsvakt'),
  ('guard-reports', 'rapport', 'Rapport', 'Report', 'ordningsvakt'),
  ('guard-reports', 'annan', 'Annan åtgärd', 'Other intervention', 'ordningsvakt')
ON CONFLICT (source, code) DO NOTHING;

