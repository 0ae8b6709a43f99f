// Runs once, when the data volume is first initialised (docker-entrypoint-initdb.d), as the root user.
// One user per service, allowed to read and write its own database only; passwords come from the
// environment (deploy/compose/.env), never from this file.
const services = ["catalog", "escrow", "logistics", "disputes"];
const admin = db.getSiblingDB("admin");
for (const service of services) {
  const password = process.env[`${service.toUpperCase()}_MONGO_PASSWORD`];
  if (!password) {
    throw new Error(`${service.toUpperCase()}_MONGO_PASSWORD is not set`);
  }
  admin.createUser({ user: service, pwd: password, roles: [{ role: "readWrite", db: service }] });
}
