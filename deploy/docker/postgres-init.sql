-- One database per service (services never share a database); run once by the postgres image on first start.
CREATE DATABASE catalog;
CREATE DATABASE ingest;
CREATE DATABASE aggregate;
CREATE DATABASE gateway;
CREATE DATABASE portal;
